// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test, Vm} from "./utils/Test.sol";
import {Usd1Token} from "../src/Usd1Token.sol";
import {Usd1Proxy} from "../src/Usd1Proxy.sol";

contract Usd1ProxyTest is Test {
    event Upgraded(address indexed implementation);
    event AdminChanged(address previousAdmin, address newAdmin);

    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    bytes32 internal constant ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    address internal admin = address(0xA11CE);
    address internal proxyAdmin = address(0xAD);
    address internal alice = address(0xA1);
    address internal eve = address(0xE5E);

    Usd1Token internal implementation;
    Usd1Proxy internal proxy;
    Usd1Token internal token; // the proxy seen through the token's ABI

    function setUp() public {
        implementation = new Usd1Token(address(this));
        proxy = new Usd1Proxy(address(implementation), proxyAdmin, abi.encodeCall(Usd1Token.initialize, (admin)));
        token = Usd1Token(address(proxy));
    }

    function testSlotsHoldImplementationAndAdmin() public view {
        assertEq(address(uint160(uint256(vm.load(address(proxy), IMPLEMENTATION_SLOT)))), address(implementation), "implementation slot");
        assertEq(address(uint160(uint256(vm.load(address(proxy), ADMIN_SLOT)))), proxyAdmin, "admin slot");
    }

    function testInitializeRanInProxyStorage() public {
        assertTrue(token.hasRole(token.MINTER_ROLE(), admin), "admin is minter through the proxy");
        assertEq(token.owner(), admin, "owner");
        vm.prank(admin);
        token.mint(alice, 5);
        assertEq(token.totalSupply(), 5, "supply through the proxy");
        assertEq(implementation.totalSupply(), 0, "the implementation's own storage is untouched");
        vm.expectRevert(Usd1Token.AlreadyInitialized.selector);
        token.initialize(eve);
    }

    function testConstructorEmitsUpgradedAndAdminChanged() public {
        vm.recordLogs();
        Usd1Proxy p = new Usd1Proxy(address(implementation), proxyAdmin, "");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 2, "two logs");
        assertEq(logs[0].topics[0], keccak256("AdminChanged(address,address)"), "AdminChanged first");
        assertEq(logs[1].topics[0], keccak256("Upgraded(address)"), "then Upgraded");
        assertEq(logs[1].topics[1], bytes32(uint256(uint160(address(implementation)))), "indexed implementation");
        assertEq(logs[0].emitter, address(p), "emitted by the proxy");
    }

    function testAdminUpgradesKeepingStorage() public {
        vm.prank(admin);
        token.mint(alice, 7);
        Usd1Token next = new Usd1Token(address(this));
        vm.expectEmit(true, false, false, false, address(proxy));
        emit Upgraded(address(next));
        vm.prank(proxyAdmin);
        proxy.upgradeTo(address(next));
        assertEq(address(uint160(uint256(vm.load(address(proxy), IMPLEMENTATION_SLOT)))), address(next), "slot moved");
        assertEq(token.balanceOf(alice), 7, "balances survive the upgrade");
    }

    function testNonAdminCannotUpgradeOrChangeAdmin() public {
        Usd1Token next = new Usd1Token(address(this));
        vm.prank(eve);
        vm.expectRevert(abi.encodeWithSelector(Usd1Proxy.NotAdmin.selector, eve));
        proxy.upgradeTo(address(next));
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(Usd1Proxy.NotAdmin.selector, admin));
        proxy.changeAdmin(admin);
    }

    function testUpgradeToNonContractReverts() public {
        vm.prank(proxyAdmin);
        vm.expectRevert(abi.encodeWithSelector(Usd1Proxy.NotAContract.selector, eve));
        proxy.upgradeTo(eve);
    }

    function testChangeAdminEmitsOldAndNew() public {
        vm.expectEmit(false, false, false, true, address(proxy));
        emit AdminChanged(proxyAdmin, eve);
        vm.prank(proxyAdmin);
        proxy.changeAdmin(eve);
        assertEq(address(uint160(uint256(vm.load(address(proxy), ADMIN_SLOT)))), eve, "admin slot");
    }
}
