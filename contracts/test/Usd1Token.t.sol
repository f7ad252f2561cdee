// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Test, Vm} from "./utils/Test.sol";
import {Usd1Token} from "../src/Usd1Token.sol";

contract Usd1TokenTest is Test {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Mint(address indexed minter, address indexed to, uint256 amount);
    event Burn(address indexed burner, address indexed from, uint256 amount);

    Usd1Token internal token;
    address internal admin = address(0xA11CE);
    address internal alice = address(0xA1);
    address internal bob = address(0xB0B);
    address internal eve = address(0xE5E);

    function setUp() public {
        token = new Usd1Token(admin);
    }

    function _mint(address to, uint256 amount) internal {
        vm.prank(admin);
        token.mint(to, amount);
    }

    // ------------------------------------------------------------ metadata / constructor

    function testMetadata() public view {
        assertEq(token.decimals(), 6, "decimals");
        assertEq(keccak256(bytes(token.symbol())), keccak256("USD1"), "symbol");
        assertEq(token.totalSupply(), 0, "supply");
    }

    function testConstructorGrantsAllRolesToAdmin() public view {
        assertTrue(token.hasRole(token.ADMIN_ROLE(), admin), "admin");
        assertTrue(token.hasRole(token.MINTER_ROLE(), admin), "minter");
        assertTrue(token.hasRole(token.BURNER_ROLE(), admin), "burner");
        assertTrue(token.hasRole(token.PAUSER_ROLE(), admin), "pauser");
        assertTrue(token.hasRole(token.DENYLISTER_ROLE(), admin), "denylister");
        assertTrue(!token.hasRole(token.MINTER_ROLE(), address(this)), "deployer is not minter");
    }

    function testConstructorZeroAdminMeansDeployer() public {
        Usd1Token t = new Usd1Token(address(0));
        assertTrue(t.hasRole(t.ADMIN_ROLE(), address(this)), "deployer admin");
        assertTrue(t.hasRole(t.MINTER_ROLE(), address(this)), "deployer minter");
    }

    function testTotalSupplyIsSlot0() public {
        _mint(alice, 123);
        assertEq(uint256(vm.load(address(token), bytes32(uint256(0)))), 123, "slot 0");
        vm.store(address(token), bytes32(uint256(0)), bytes32(uint256(999)));
        assertEq(token.totalSupply(), 999, "poked");
    }

    // ------------------------------------------------------------ roles

    function testUnauthorizedMintReverts() public {
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.MissingRole.selector, token.MINTER_ROLE(), eve));
        vm.prank(eve);
        token.mint(eve, 1);
    }

    function testUnauthorizedBurnReverts() public {
        _mint(eve, 10);
        bytes32 burner = token.BURNER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.MissingRole.selector, burner, eve));
        vm.prank(eve);
        token.burn(1);
        vm.prank(alice);
        token.approve(eve, 10);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.MissingRole.selector, burner, eve));
        vm.prank(eve);
        token.burnFrom(alice, 1);
    }

    function testUnauthorizedPauseDenylistGrantRevert() public {
        bytes32 pauser = token.PAUSER_ROLE();
        bytes32 denylister = token.DENYLISTER_ROLE();
        bytes32 adminRole = token.ADMIN_ROLE();
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.MissingRole.selector, pauser, eve));
        vm.prank(eve);
        token.pause();
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.MissingRole.selector, denylister, eve));
        vm.prank(eve);
        token.denylist(alice);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.MissingRole.selector, adminRole, eve));
        vm.prank(eve);
        token.grantRole(adminRole, eve);
    }

    function testGrantAndRevokeRole() public {
        bytes32 minter = token.MINTER_ROLE();
        vm.prank(admin);
        token.grantRole(minter, bob);
        assertTrue(token.hasRole(minter, bob), "granted");
        vm.prank(bob);
        token.mint(alice, 5);
        assertEq(token.balanceOf(alice), 5, "minted by bob");
        vm.prank(admin);
        token.revokeRole(minter, bob);
        assertTrue(!token.hasRole(minter, bob), "revoked");
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.MissingRole.selector, minter, bob));
        vm.prank(bob);
        token.mint(alice, 5);
    }

    function testRoleEvents() public {
        bytes32 minter = token.MINTER_ROLE();
        vm.recordLogs();
        vm.prank(admin);
        token.grantRole(minter, bob);
        vm.prank(admin);
        token.grantRole(minter, bob); // no-op, no event
        vm.prank(admin);
        token.revokeRole(minter, bob);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 2, "two role events");
        assertEq(logs[0].topics[0], keccak256("RoleGranted(bytes32,address,address)"), "granted topic");
        assertEq(logs[0].topics[1], minter, "role");
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(bob))), "account");
        assertEq(logs[0].topics[3], bytes32(uint256(uint160(admin))), "sender");
        assertEq(logs[1].topics[0], keccak256("RoleRevoked(bytes32,address,address)"), "revoked topic");
    }

    // ------------------------------------------------------------ events

    function testMintEmitsMintThenTransfer() public {
        vm.recordLogs();
        _mint(alice, 1_000_000);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 2, "two logs");
        assertEq(logs[0].emitter, address(token), "emitter");
        assertEq(logs[0].topics[0], keccak256("Mint(address,address,uint256)"), "Mint first");
        assertEq(logs[0].topics[1], bytes32(uint256(uint160(admin))), "minter");
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(alice))), "to");
        assertEq(abi.decode(logs[0].data, (uint256)), 1_000_000, "mint amount");
        assertEq(logs[1].topics[0], keccak256("Transfer(address,address,uint256)"), "Transfer second");
        assertEq(logs[1].topics[1], bytes32(0), "from zero");
        assertEq(logs[1].topics[2], bytes32(uint256(uint160(alice))), "to");
        assertEq(abi.decode(logs[1].data, (uint256)), 1_000_000, "transfer amount");
        assertEq(token.totalSupply(), 1_000_000, "supply");
        assertEq(token.balanceOf(alice), 1_000_000, "balance");
    }

    function testMintExpectEmit() public {
        vm.expectEmit(true, true, true, true, address(token));
        emit Mint(admin, alice, 7);
        vm.expectEmit(true, true, true, true, address(token));
        emit Transfer(address(0), alice, 7);
        _mint(alice, 7);
    }

    function testBurnEmitsBurnThenTransfer() public {
        _mint(admin, 50);
        vm.recordLogs();
        vm.prank(admin);
        token.burn(20);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 2, "two logs");
        assertEq(logs[0].topics[0], keccak256("Burn(address,address,uint256)"), "Burn first");
        assertEq(logs[0].topics[1], bytes32(uint256(uint160(admin))), "burner");
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(admin))), "from = burner");
        assertEq(logs[1].topics[0], keccak256("Transfer(address,address,uint256)"), "Transfer second");
        assertEq(logs[1].topics[1], bytes32(uint256(uint160(admin))), "from");
        assertEq(logs[1].topics[2], bytes32(0), "to zero");
        assertEq(token.totalSupply(), 30, "supply");
        assertEq(token.balanceOf(admin), 30, "balance");
    }

    // ------------------------------------------------------------ burnFrom / allowance

    function testBurnFromUsesAllowance() public {
        _mint(alice, 100);
        vm.prank(alice);
        token.approve(admin, 60);
        vm.expectEmit(true, true, true, true, address(token));
        emit Burn(admin, alice, 40);
        vm.expectEmit(true, true, true, true, address(token));
        emit Transfer(alice, address(0), 40);
        vm.prank(admin);
        token.burnFrom(alice, 40);
        assertEq(token.allowance(alice, admin), 20, "allowance decreased");
        assertEq(token.balanceOf(alice), 60, "balance");
        assertEq(token.totalSupply(), 60, "supply");
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.InsufficientAllowance.selector, alice, admin, 20, 21));
        vm.prank(admin);
        token.burnFrom(alice, 21);
    }

    function testBurnFromWithoutAllowanceReverts() public {
        _mint(alice, 100);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.InsufficientAllowance.selector, alice, admin, 0, 1));
        vm.prank(admin);
        token.burnFrom(alice, 1);
    }

    function testBurnMoreThanBalanceReverts() public {
        _mint(admin, 5);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.InsufficientBalance.selector, admin, 5, 6));
        vm.prank(admin);
        token.burn(6);
    }

    function testTransferFromAndInfiniteAllowance() public {
        _mint(alice, 100);
        vm.prank(alice);
        token.approve(bob, type(uint256).max);
        vm.prank(bob);
        token.transferFrom(alice, eve, 30);
        assertEq(token.allowance(alice, bob), type(uint256).max, "infinite allowance kept");
        assertEq(token.balanceOf(eve), 30, "eve");
        assertEq(token.balanceOf(alice), 70, "alice");
    }

    function testTransferToZeroReverts() public {
        _mint(alice, 1);
        vm.expectRevert(Usd1Token.ZeroAddress.selector);
        vm.prank(alice);
        token.transfer(address(0), 1);
        vm.expectRevert(Usd1Token.ZeroAddress.selector);
        vm.prank(admin);
        token.mint(address(0), 1);
    }

    // ------------------------------------------------------------ pause

    function testPauseBlocksTransferMintBurn() public {
        _mint(alice, 100);
        _mint(admin, 100);
        vm.prank(alice);
        token.approve(admin, 100);
        vm.prank(admin);
        token.pause();
        assertTrue(token.paused(), "paused");

        vm.expectRevert(Usd1Token.EnforcedPause.selector);
        vm.prank(alice);
        token.transfer(bob, 1);
        vm.expectRevert(Usd1Token.EnforcedPause.selector);
        vm.prank(admin);
        token.transferFrom(alice, bob, 1);
        vm.expectRevert(Usd1Token.EnforcedPause.selector);
        vm.prank(admin);
        token.mint(alice, 1);
        vm.expectRevert(Usd1Token.EnforcedPause.selector);
        vm.prank(admin);
        token.burn(1);
        vm.expectRevert(Usd1Token.EnforcedPause.selector);
        vm.prank(admin);
        token.burnFrom(alice, 1);

        vm.prank(admin);
        token.unpause();
        vm.prank(alice);
        token.transfer(bob, 1);
        _mint(alice, 1);
        vm.prank(admin);
        token.burn(1);
        assertEq(token.totalSupply(), 200, "supply after unpause");
    }

    // ------------------------------------------------------------ denylist

    function testDenylistBlocksSendReceiveMint() public {
        _mint(alice, 100);
        _mint(eve, 100);
        vm.prank(admin);
        token.denylist(eve);
        assertTrue(token.isDenylisted(eve), "denylisted");

        vm.expectRevert(abi.encodeWithSelector(Usd1Token.AccountDenylisted.selector, eve));
        vm.prank(eve);
        token.transfer(alice, 1);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.AccountDenylisted.selector, eve));
        vm.prank(alice);
        token.transfer(eve, 1);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.AccountDenylisted.selector, eve));
        vm.prank(admin);
        token.mint(eve, 1);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.AccountDenylisted.selector, eve));
        vm.prank(eve);
        token.approve(alice, 1);

        vm.prank(admin);
        token.undenylist(eve);
        vm.prank(eve);
        token.transfer(alice, 1);
        assertEq(token.balanceOf(alice), 101, "after undenylist");
    }

    function testDenylistedSpenderCannotTransferFrom() public {
        _mint(alice, 100);
        vm.prank(alice);
        token.approve(eve, 100);
        vm.prank(admin);
        token.denylist(eve);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.AccountDenylisted.selector, eve));
        vm.prank(eve);
        token.transferFrom(alice, bob, 1);
    }

    function testBurnFromDenylistedHolderAllowed() public {
        _mint(eve, 100);
        vm.prank(eve);
        token.approve(admin, 100);
        vm.prank(admin);
        token.denylist(eve);
        vm.prank(admin);
        token.burnFrom(eve, 100);
        assertEq(token.balanceOf(eve), 0, "frozen funds retired");
        assertEq(token.totalSupply(), 0, "supply");
    }

    function testDenylistedBurnerCannotBurn() public {
        _mint(admin, 10);
        vm.prank(admin);
        token.denylist(admin);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.AccountDenylisted.selector, admin));
        vm.prank(admin);
        token.burn(1);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.AccountDenylisted.selector, admin));
        vm.prank(admin);
        token.mint(alice, 1);
    }

    // ------------------------------------------------------------ big amounts

    function testMintMaxUint256() public {
        _mint(alice, type(uint256).max);
        assertEq(token.totalSupply(), type(uint256).max, "supply max");
        assertEq(token.balanceOf(alice), type(uint256).max, "balance max");
        vm.prank(alice);
        token.transfer(bob, type(uint256).max);
        assertEq(token.balanceOf(bob), type(uint256).max, "moved max");
    }

    function testMintOverflowReverts() public {
        _mint(alice, type(uint256).max);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        vm.prank(admin);
        token.mint(bob, 1);
        assertEq(token.totalSupply(), type(uint256).max, "unchanged");
    }

    function testPokedSupplyCannotWrapBalance() public {
        _mint(alice, type(uint256).max);
        vm.store(address(token), bytes32(uint256(0)), bytes32(0));
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", 0x11));
        vm.prank(admin);
        token.mint(alice, 1);
    }

    function testFuzzMintTransferBurn(uint128 a, uint128 b) public {
        vm.assume(a >= b);
        _mint(admin, a);
        vm.prank(admin);
        token.transfer(alice, b);
        vm.prank(admin);
        token.burn(a - b);
        assertEq(token.totalSupply(), b, "supply");
        assertEq(token.balanceOf(alice), b, "alice");
        assertEq(token.balanceOf(admin), 0, "admin");
    }

    // ------------------------------------------------------------ ownership and minters (issue 15)

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event MinterConfigured(address indexed minter, uint256 minterAllowedAmount);
    event MinterRemoved(address indexed oldMinter);

    function testConstructorMakesAdminOwnerWithEvent() public {
        vm.recordLogs();
        Usd1Token t = new Usd1Token(bob);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs[0].topics[0], keccak256("OwnershipTransferred(address,address)"), "first log");
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(bob))), "new owner");
        assertEq(t.owner(), bob, "owner");
    }

    function testTwoStepOwnershipTransfer() public {
        vm.prank(eve);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.NotOwner.selector, eve));
        token.transferOwnership(eve);
        vm.expectEmit(true, true, false, false, address(token));
        emit OwnershipTransferStarted(admin, bob);
        vm.prank(admin);
        token.transferOwnership(bob);
        assertEq(token.owner(), admin, "not yet");
        vm.prank(eve);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.NotPendingOwner.selector, eve));
        token.acceptOwnership();
        vm.expectEmit(true, true, false, false, address(token));
        emit OwnershipTransferred(admin, bob);
        vm.prank(bob);
        token.acceptOwnership();
        assertEq(token.owner(), bob, "owner");
        assertEq(token.pendingOwner(), address(0), "pending cleared");
    }

    function testConfiguredMinterSpendsAllowance() public {
        vm.expectEmit(true, false, false, true, address(token));
        emit MinterConfigured(admin, 100);
        vm.prank(admin);
        token.configureMinter(admin, 100);
        _mint(alice, 60);
        assertEq(token.minterAllowance(admin), 40, "spent");
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.MinterAllowanceExceeded.selector, admin, 40, 41));
        token.mint(alice, 41);
        vm.expectEmit(true, false, false, false, address(token));
        emit MinterRemoved(admin);
        vm.prank(admin);
        token.removeMinter(admin);
        assertTrue(!token.isMinter(admin), "removed");
        _mint(alice, 1000); // an unconfigured minter mints without an allowance, as before
        assertEq(token.balanceOf(alice), 1060, "balance");
    }

    function testConfigureMinterNeedsAdminRole() public {
        bytes32 adminRole = token.ADMIN_ROLE();
        vm.prank(eve);
        vm.expectRevert(abi.encodeWithSelector(Usd1Token.MissingRole.selector, adminRole, eve));
        token.configureMinter(eve, 1);
    }
}
