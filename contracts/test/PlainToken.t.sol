// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test, Vm} from "./utils/Test.sol";
import {PlainToken} from "../src/PlainToken.sol";

contract PlainTokenTest is Test {
    bytes32 internal constant TRANSFER = keccak256("Transfer(address,address,uint256)");

    PlainToken internal token;
    address internal alice = address(0xA1);
    address internal bob = address(0xB0B);

    function setUp() public {
        token = new PlainToken();
    }

    function testMintEmitsOnlyTransfer() public {
        vm.recordLogs();
        vm.prank(bob); // anyone may mint
        token.mint(alice, 42);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "one log");
        assertEq(logs[0].topics[0], TRANSFER, "Transfer");
        assertEq(logs[0].topics[1], bytes32(0), "from zero");
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(alice))), "to");
        assertEq(token.totalSupply(), 42, "supply");
        assertEq(token.decimals(), 6, "decimals");
    }

    function testBurnEmitsOnlyTransfer() public {
        token.mint(alice, 42);
        vm.recordLogs();
        token.burn(alice, 40);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1, "one log");
        assertEq(logs[0].topics[0], TRANSFER, "Transfer");
        assertEq(logs[0].topics[1], bytes32(uint256(uint160(alice))), "from");
        assertEq(logs[0].topics[2], bytes32(0), "to zero");
        assertEq(token.totalSupply(), 2, "supply");
        vm.expectRevert(abi.encodeWithSelector(PlainToken.InsufficientBalance.selector, alice, 2, 3));
        token.burn(alice, 3);
    }

    function testMintManyAndBurnMany() public {
        vm.recordLogs();
        token.mintMany(alice, 5, 100);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 100, "one Transfer per mint");
        for (uint256 i = 0; i < logs.length; ++i) {
            assertEq(logs[i].topics[0], TRANSFER, "Transfer");
            assertEq(abi.decode(logs[i].data, (uint256)), 5, "amount");
        }
        assertEq(token.totalSupply(), 500, "supply");
        assertEq(token.balanceOf(alice), 500, "balance");

        vm.recordLogs();
        token.burnMany(alice, 5, 60);
        logs = vm.getRecordedLogs();
        assertEq(logs.length, 60, "one Transfer per burn");
        assertEq(token.totalSupply(), 200, "supply after burnMany");

        token.mintMany(alice, 1, 0); // count 0 is a no-op
        assertEq(token.totalSupply(), 200, "no-op");
    }

    function testTotalSupplyIsSlot0() public {
        token.mint(alice, 9);
        assertEq(uint256(vm.load(address(token), bytes32(uint256(0)))), 9, "slot 0");
    }

    function testMaxMintAndOverflow() public {
        token.mint(alice, type(uint256).max);
        assertEq(token.totalSupply(), type(uint256).max, "max");
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        token.mint(bob, 1);
    }

    function testTransferFrom() public {
        token.mint(alice, 10);
        vm.prank(alice);
        token.approve(bob, 4);
        vm.prank(bob);
        token.transferFrom(alice, bob, 4);
        assertEq(token.balanceOf(bob), 4, "bob");
        assertEq(token.allowance(alice, bob), 0, "spent");
        vm.expectRevert(abi.encodeWithSelector(PlainToken.InsufficientAllowance.selector, alice, bob, 0, 1));
        vm.prank(bob);
        token.transferFrom(alice, bob, 1);
    }
}
